// Where each pane goes for a terminal size. Pure, so the view model can fit text to the panes and
// tests can check the small-terminal collapse without a screen.

export type PaneName = 'header' | 'routers' | 'advertisers' | 'chart' | 'failovers' | 'alerts' | 'events';

export interface Box { top: number; left: number; width: number; height: number; visible: boolean }
export type Geometry = Record<PaneName, Box> & { compact: boolean };

const HIDDEN: Box = { top: 0, left: 0, width: 1, height: 1, visible: false };

/** Inner size of a bordered pane (what the view model fills). */
export function inner(b: Box): { width: number; height: number } {
  return { width: Math.max(1, b.width - 2), height: Math.max(1, b.height - 2) };
}

/**
 * Full layout from 120×36 up: header across; left column routers / advertisers / priority chart /
 * failovers; right column alerts over events. Below that the panes collapse to header, routers and
 * alerts (plus events when there are rows to spare): the verdict and the alerts always stay visible.
 */
export function computeGeometry(cols: number, rows: number, routerCount: number): Geometry {
  cols = Math.max(20, cols);
  rows = Math.max(8, rows);
  const header: Box = { top: 0, left: 0, width: cols, height: 3, visible: true };
  const body = rows - 3;
  if (cols >= 120 && rows >= 36) {
    const lw = Math.floor(cols * 0.56);
    const rw = cols - lw;
    const rH = Math.min(Math.max(5, routerCount + 3), 10);
    const aH = 7;
    const rest = body - rH - aH;
    const cH = Math.max(6, Math.floor(rest * 0.55));
    const fH = rest - cH;
    const alH = Math.floor(body * 0.6);
    return {
      compact: false,
      header,
      routers: { top: 3, left: 0, width: lw, height: rH, visible: true },
      advertisers: { top: 3 + rH, left: 0, width: lw, height: aH, visible: true },
      chart: { top: 3 + rH + aH, left: 0, width: lw, height: cH, visible: true },
      failovers: { top: 3 + rH + aH + cH, left: 0, width: lw, height: fH, visible: true },
      alerts: { top: 3, left: lw, width: rw, height: alH, visible: true },
      events: { top: 3 + alH, left: lw, width: rw, height: body - alH, visible: true },
    };
  }
  // Compact: everything full width, stacked.
  const rH = Math.min(Math.max(4, routerCount + 3), Math.max(4, Math.floor(body * 0.3)));
  const showEvents = body - rH >= 20;
  const eH = showEvents ? Math.floor((body - rH) * 0.3) : 0;
  const alH = body - rH - eH;
  return {
    compact: true,
    header,
    routers: { top: 3, left: 0, width: cols, height: rH, visible: true },
    alerts: { top: 3 + rH, left: 0, width: cols, height: alH, visible: true },
    events: showEvents ? { top: 3 + rH + alH, left: 0, width: cols, height: eH, visible: true } : HIDDEN,
    advertisers: HIDDEN,
    chart: HIDDEN,
    failovers: HIDDEN,
  };
}
