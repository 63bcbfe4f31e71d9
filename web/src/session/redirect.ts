// Where to go after signing in or registering: only a path of this site. "//host/x" and "/\host"
// are read by browsers as another host (an open redirect), so a return path must start with one
// "/" followed by something other than "/" or "\", and hold no control characters.
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string') return '/';
  if (!/^\/(?![/\\])/.test(value)) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  return value;
}
