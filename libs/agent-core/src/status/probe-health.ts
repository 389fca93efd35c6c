export interface HealthProbe {
  url: string;
  /** HTTP status, null when the endpoint could not be reached. */
  status: number | null;
  ok: boolean;
  /** The JSON body the agent answered with (its reason when unhealthy). */
  body?: unknown;
  error?: string;
}

/** GET `<agent address>/api/health`. An empty host (`http://:8080`) means this machine. */
export async function probeHealth(address: string, timeoutMs = 3000): Promise<HealthProbe> {
  const base = address.replace(/^(https?:\/\/)(:)/, '$1127.0.0.1$2').replace(/\/+$/, '');
  const url = `${base}/api/health`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep the text */
    }
    return { url, status: response.status, ok: response.status === 200, body };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { url, status: null, ok: false, error: cause ?? (error as Error).message };
  }
}
