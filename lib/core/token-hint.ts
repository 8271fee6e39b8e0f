/** `••••••••1a2b`: enough to recognise a token, nothing to reuse (the only part of it the UI sees). */
export function maskToken(token: string): string {
  return `••••••••${token.slice(-4)}`;
}
