from askurbact.analysis import analyzer, fold, indexed_text, normalize_lang, query_terms, sentence_spans
from askurbact.analysis.analyze import SUBJECT_WORDS


def test_accents_case_and_apostrophes_fold_alike():
    en = analyzer("en")
    assert en.terms("Malmö") == en.terms("MALMO") == ["malmo"]
    assert en.terms("Łódź") == ["lodz"]
    assert en.terms("São Paulo") == en.terms("sao paulo")
    assert en.terms("speaker’s corner") == en.terms("speaker's corner")
    assert fold("Straße") == "strasse"


def test_stopwords_dropped_and_words_stemmed():
    assert analyzer("en").terms("What is the role of the leaders?") == ["role", "leader"]
    assert analyzer("en").terms("neighbourhoods") == analyzer("en").terms("neighbourhood")


def test_words_that_only_look_like_part_of_a_contraction_are_searched():
    # The parts of "won't" and "let's" were stopwords, but "won" and "let" are verbs of their
    # own ("won't" now leaves "won" in the index: the lesser harm).
    en = analyzer("en")
    assert en.terms("Which team won the cup?") == ["team", "won", "cup"]
    assert en.terms("The city let the hall to a cooperative") == ["citi", "let", "hall", "cooper"]
    assert en.terms("We can't, they don't") == []


def test_stemming_follows_the_document_language():
    assert analyzer("fr").terms("les innovations sociales") == ["innov", "social"]
    assert analyzer("pl").terms("innowacja społeczna")[0] != "innowacja społeczna"
    assert normalize_lang("fr-BE") == "fr" and normalize_lang("french") == "fr"
    assert normalize_lang("klingon") == "en" and normalize_lang(None) == "en"


def test_query_is_analysed_for_every_language_present_without_double_counting():
    terms = query_terms("innovations sociales", ["en", "fr"])
    assert len(terms) == len(set(terms))
    assert set(analyzer("fr").terms("innovations sociales")) <= set(terms)


def test_sentences_split_at_ends_not_at_abbreviations():
    text = "Seoul is an example.  Since 2011, e.g. Mr. Park has led. He said “Yes.” J. Smith left! 8 cities joined."
    sentences = [text[a:b] for a, b in sentence_spans(text)]
    assert sentences == ["Seoul is an example.", "Since 2011, e.g. Mr. Park has led.", "He said “Yes.”",
                         "J. Smith left!", "8 cities joined."]


def test_an_abbreviation_in_brackets_or_quotes_ends_no_sentence():
    # Reports write "(e.g. ...)": the quote must not stop at "(e.g." and lose the example.
    text = ("Some palaces were pulled down in the 1950s (e.g. Kronenberg Palace). Blocks rose instead. "
            "The plan (cf. Annex 2) was \u201cSt. Mary's\u201d idea. It came from (J. Smith) alone.")
    sentences = [text[a:b] for a, b in sentence_spans(text)]
    assert sentences == ["Some palaces were pulled down in the 1950s (e.g. Kronenberg Palace).", "Blocks rose instead.",
                         "The plan (cf. Annex 2) was \u201cSt. Mary's\u201d idea.", "It came from (J. Smith) alone."]
    # A bracket closing a sentence still ends it.
    closing = "It ended (see below). Next one. He said \u201cNo.\u201d Then he left (B.) Above all, \"St.\" Stop."
    assert [closing[a:b] for a, b in sentence_spans(closing)] == [
        "It ended (see below).", "Next one.", "He said \u201cNo.\u201d", "Then he left (B.)", "Above all, \"St.\"", "Stop."]


def test_bulk_terms_equal_terms_of_each_text():
    from askurbact.analysis.bulk import term_occurrences

    texts = ["What is the role of the leaders?", "", "Łódź and Malmö’s “leaders”", "leaders", "  a I  "]
    vocab, term, text, lengths = term_occurrences(analyzer("en"), texts)
    assert vocab == ["leader", "lodz", "malmo", "role"]
    assert lengths.tolist() == [2, 0, 3, 1, 0]
    assert sorted(zip(text.tolist(), (vocab[t] for t in term.tolist()))) == [
        (0, "leader"), (0, "role"), (2, "leader"), (2, "lodz"), (2, "malmo"), (3, "leader")]


def test_a_passage_is_indexed_under_its_deepest_headings():
    indexed = indexed_text("The Grenoble tramway > History > History", "The first line opened in 1987.")
    # Each heading once (a heading may repeat its parent's), above the text.
    assert indexed == "The Grenoble tramway History\nThe first line opened in 1987."
    assert indexed_text("", "Only the text.") == "Only the text."
    # Up to SUBJECT_WORDS words in all, the deepest first: a chapter's path a reader left over
    # a long file's appendices would otherwise put its words in each of their passages.
    path = ("CHAPTER 7 – REPORTS, AUDITS, COMPLIANCE > D. EVALUATION, COMPLIANCE AND TERMINATION > "
            "2. REMEDIAL AND ENFORCEMENT ACTIONS")
    assert indexed_text(path, "Text.") == "2. REMEDIAL AND ENFORCEMENT ACTIONS\nText."
    long_heading = " ".join(["word"] * (SUBJECT_WORDS + 1))
    assert indexed_text(long_heading, "Only the text.") == "Only the text."
    # A sentence a reader took for a heading is left out; the heading above it still counts.
    assert indexed_text(f"Funding > {long_heading}", "Text.") == "Funding\nText."
    assert indexed_text("HISTORY > History > history", "Text.") == "history\nText."  # one name, any case


def test_a_table_of_contents_entry_is_a_sentence_ending_in_its_page_number():
    """Its leader's dots end nothing; its page number ends it, though no period follows, so the
    next entry or sentence does not start with it."""
    text = ("Contents 1 Introduction........3 2 Tram depot . . . . . . 9\n"
            "The tram depot was moved in 2018. Preface · · · · · · ix")
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Contents 1 Introduction........3", "2 Tram depot . . . . . . 9", "The tram depot was moved in 2018.",
        "Preface · · · · · · ix"]


def test_dots_with_no_page_number_after_them_are_prose():
    text = "The harbour master explained the delay..... it took years. Then it opened."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "The harbour master explained the delay..... it took years.", "Then it opened."]
