/** Characters for which Python's `str.isspace()` is true (configparser's inline-comment rule uses it). */
export const PY_SPACE = '\\t\\n\\u000b\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const INLINE_COMMENT = new RegExp(`[${PY_SPACE}][;#]`);
const EDGE_SPACE = new RegExp(`^[${PY_SPACE}]|[${PY_SPACE}]$`);

/** configparser (as supervisor sets it up) cuts a value at whitespace followed by `;` or `#`, quotes or not. */
export function hasInlineComment(value: string): boolean {
  return INLINE_COMMENT.test(value);
}

export function hasEdgeSpace(value: string): boolean {
  return EDGE_SPACE.test(value);
}
