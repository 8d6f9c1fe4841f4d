// The one layout file: one blessed box per concern, placed from the pure geometry and filled from the
// pure view model. Nothing here computes content; it only moves, shows/hides and sets text.
import type { Widgets } from 'blessed';
import type { PaneName } from './geometry.js';
import type { UiState } from './types.js';
import type { ViewModel } from './view-types.js';

type Blessed = typeof import('blessed');

export interface Layout {
  screen: Widgets.Screen;
  panes: Record<PaneName, Widgets.BoxElement>;
  help: Widgets.BoxElement;
  /** The full-screen fixes view: no border, so that selecting a line with the mouse takes the command only. */
  fixes: Widgets.BoxElement;
}

const PANES: PaneName[] = ['header', 'routers', 'advertisers', 'chart', 'failovers', 'alerts', 'events'];
const FOCUSABLE: Partial<Record<PaneName, UiState['focus']>> = { routers: 'routers', alerts: 'alerts', events: 'events' };

/** Labels are plain text: no tags, no braces. */
function label(text: string, focused: boolean, colour: boolean): string {
  const t = ` ${text.replace(/[{}]/g, '')} `;
  return focused && !colour ? ` »${t}` : t;
}

export function createLayout(blessed: Blessed, screen: Widgets.Screen, colour: boolean): Layout {
  const panes = {} as Record<PaneName, Widgets.BoxElement>;
  for (const name of PANES) {
    panes[name] = blessed.box({
      parent: screen,
      tags: true,
      wrap: false,
      border: { type: 'line' },
      style: colour ? { border: { fg: 'gray' }, label: { bold: true } } : { label: { bold: true } },
      top: 0, left: 0, width: 1, height: 1,
    });
  }
  const help = blessed.box({
    parent: screen,
    tags: true,
    hidden: true,
    border: { type: 'line' },
    style: colour ? { border: { fg: 'cyan' } } : {},
    top: 'center', left: 'center', width: 70, height: 11,
    label: ' Keys ',
  });
  const fixes = blessed.box({
    parent: screen,
    tags: true,
    hidden: true,
    wrap: false,
    top: 0, left: 0, width: '100%', height: '100%',
  });
  return { screen, panes, help, fixes };
}

/** Moves the panes to the view's geometry and sets their content. */
export function applyView(l: Layout, vm: ViewModel, ui: UiState): void {
  const g = vm.geometry;
  for (const name of PANES) {
    const box = l.panes[name];
    const b = g[name];
    if (!b.visible) { box.hide(); continue; }
    box.show();
    box.top = b.top; box.left = b.left; box.width = b.width; box.height = b.height;
    const focused = FOCUSABLE[name] === ui.focus;
    if (ui.colour) (box.style as { border: { fg: string } }).border.fg = focused ? 'cyan' : 'gray';
    if (name === 'header') {
      box.setContent(vm.header.line);
      box.setLabel(' vrrpwatch ');
    } else {
      const pane = vm[name];
      box.setLabel(label(pane.title, focused, ui.colour));
      box.setContent(pane.lines.join('\n'));
    }
  }
  if (vm.fixes === null) l.fixes.hide();
  else {
    l.fixes.width = ui.cols;
    l.fixes.height = ui.rows;
    // Body padded so that the footer sits on the last row.
    const body = vm.fixes.lines.concat(Array.from({ length: Math.max(0, ui.rows - 2 - vm.fixes.lines.length) }, () => ''));
    l.fixes.setContent([vm.fixes.title, ...body, vm.fixes.footer].join('\n'));
    l.fixes.show();
    l.fixes.setFront();
  }
  if (vm.help === null) l.help.hide();
  else {
    l.help.width = Math.min(ui.cols - 2, 72);
    l.help.height = Math.min(ui.rows - 2, vm.help.lines.length + 2);
    l.help.setContent(vm.help.lines.join('\n'));
    l.help.show();
    l.help.setFront();
  }
}
