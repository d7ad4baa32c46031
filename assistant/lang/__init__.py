"""Language: identification (`detect`), words and stopwords (`words`), Snowball stems
(`stem`), Indonesian affixes (`morph`), the bilingual glossary (`glossary`) and language
names (`names`). The word lists are data files in `lang/data/`."""
