"""Language: identification, stemming, stopwords and the bilingual glossary."""
