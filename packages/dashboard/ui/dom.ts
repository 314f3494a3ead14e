/** Creates an element with attributes and children; text children become text nodes (never HTML). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

const PALETTE = ['#d62828', '#1f77b4', '#2a9d4a', '#9b59b6', '#e67e22', '#16a085', '#7f8c8d', '#c0398c'];

/** A stable colour per train (by its position in the sorted id list). */
export function trainColour(index: number): string {
  return PALETTE[index % PALETTE.length] ?? '#333';
}

export function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString();
}

export function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}
