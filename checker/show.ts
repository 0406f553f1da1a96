// How a run's constants and a decoded value print, the same in every command:
// `files=1 procs=2`, and a value as TLC prints it (a name bare, the rest JSON).

export function showConstants(constants: Readonly<Record<string, number | string>>): string {
  return Object.entries(constants).map(([k, v]) => `${k}=${v}`).join(' ');
}

export function showValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
