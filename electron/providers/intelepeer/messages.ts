/**
 * What the Insights API says when it refuses something, as one readable line. Its bodies vary: a string
 * message, an object of named problems ({"Date_Filters": {"message": …}, "Operators": "…"}), or an array
 * of {message, code} (an unknown id).
 */
export function insightsMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined;
  if (!body || typeof body !== 'object') return undefined;
  if (!Array.isArray(body) && ('message' in body || 'error' in body)) {
    const named = body as { message?: unknown; error?: unknown };
    return insightsMessage(named.message ?? named.error);
  }
  return Object.values(body).map(insightsMessage).filter(Boolean).join(' ') || undefined;
}

/** The body text of a refused call as one line, or undefined when it says nothing readable. */
export function insightsMessageFromText(text: string | undefined): string | undefined {
  if (!text?.trim()) return undefined;
  try {
    return insightsMessage(JSON.parse(text));
  } catch {
    return text.trim().slice(0, 300);
  }
}
