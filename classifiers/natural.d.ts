// natural 6.10 ships no types for its deep modules; only the Russian Porter stemmer is
// imported, by path, so that the rest of natural (and its optional storage backends)
// is never loaded.
declare module 'natural/lib/natural/stemmers/porter_stemmer_ru.js' {
  interface RussianStemmer {
    stem(token: string): string;
    tokenizeAndStem(text: string, keepStops?: boolean): string[];
  }
  const PorterStemmerRu: RussianStemmer;
  export default PorterStemmerRu;
}
