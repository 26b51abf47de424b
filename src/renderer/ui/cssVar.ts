/** Canvas drawing (uPlot) cannot read CSS variables, so colours are resolved from the current theme. */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}
