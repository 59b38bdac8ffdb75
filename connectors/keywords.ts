/**
 * Mentions are found by the tenant's keyword lists. Russian is inflected, so a keyword
 * matches at the start of a word ("администрац" finds "администрации", "администрацию");
 * a phrase matches its words in order. Case and ё/е are ignored, as citizens write both.
 */
export function normalizeForMatch(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
}

export interface KeywordMatcher {
  match(text: string): string[];
}

export function keywordMatcher(keywords: readonly string[]): KeywordMatcher {
  const compiled = keywords
    .map((keyword) => keyword.trim())
    .filter((keyword) => keyword !== '')
    .map((keyword) => ({
      keyword,
      pattern: new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(normalizeForMatch(keyword)).replace(/ /g, '\\s+')}`, 'u'),
    }));
  return {
    match(text: string): string[] {
      const normalized = normalizeForMatch(text);
      return compiled.filter(({ pattern }) => pattern.test(normalized)).map(({ keyword }) => keyword);
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
