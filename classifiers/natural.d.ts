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

// Only bench/topic-models.ts loads natural's own Bayes classifier, to compare it with
// classifiers/topic.ts on the same stems.
declare module 'natural/lib/natural/classifiers/bayes_classifier.js' {
  class BayesClassifier {
    constructor(stemmer?: unknown, smoothing?: number);
    addDocument(text: string | string[], classification: string): void;
    train(): void;
    classify(observation: string | string[]): string;
  }
  export default BayesClassifier;
}
