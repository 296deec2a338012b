/** A 24×24 stroke icon drawn in the text colour; `paths` are static markup of the template, never user text. */
export function strokeIcon(paths: string, size: number, strokeWidth = 2.2): string {
  return (
    `<svg class="icon" width="${size}" height="${size}" viewBox="0 0 24 24" fill="none" stroke="currentColor" ` +
    `stroke-width="${strokeWidth}" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${paths}</svg>`
  );
}
