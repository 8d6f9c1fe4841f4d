// Module resolution hook (see register.mjs): node:assert[/strict], imported by anything but the counting
// module itself, resolves to the counting module.
const ASSERT = new URL('./counting-assert.mjs', import.meta.url).href;
const ASSERTS = new Map([['node:assert', 'loose'], ['assert', 'loose'], ['node:assert/strict', 'strict'], ['assert/strict', 'strict']]);

export async function resolve(specifier, context, next) {
  const from = context.parentURL ?? '';
  if (ASSERTS.has(specifier) && !from.startsWith(ASSERT)) return { url: `${ASSERT}?${ASSERTS.get(specifier)}`, shortCircuit: true };
  return next(specifier, context);
}
