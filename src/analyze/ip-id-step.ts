// What a source's IPv4 IP ID says across a silence: keepalived's kernel numbers each advert it sends one
// more than the last (wrapping at 65536), so the step between the adverts before and after a silence tells
// whether nothing was sent (a stall), adverts were sent and lost, or the counter started again (a restart).
// A step of 0 says nothing: a sender that keeps one IP ID (0 with DF set, as some stacks do) sends the same.

/** How the IP ID moved from `before` to `after` (both 0-65535): 'stall' (the next one), 'lost' (`lost`
 *  adverts in between), 'restart' (back near 0, or backwards), 'same' (no step: tells nothing). */
export function ipIdStep(before: number, after: number): { kind: 'stall' | 'lost' | 'restart' | 'same'; lost: number } {
  const step = (after - before + 65536) % 65536;
  if (step === 0) return { kind: 'same', lost: 0 };
  if (step === 1) return { kind: 'stall', lost: 0 };
  if (after <= 1 || step > 32768) return { kind: 'restart', lost: 0 };
  return { kind: 'lost', lost: step - 1 };
}
