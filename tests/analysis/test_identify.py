"""A document that names no language is read in the language its words are in."""

import pytest

from askurbact.analysis.identify import identify_language

SAMPLES = {
    "en": "The city council opened a night school for adults in the old library. It teaches languages and "
          "computing to four hundred learners, and the volunteers who run it were trained by the university.",
    "fr": "La ville de Lyon a ouvert quinze jardins partagés dans le quartier de la Guillotière. Les habitants "
          "cultivent des légumes et les associations organisent des ateliers pour les enfants qui sont inscrits.",
    "es": "En 2019 el ayuntamiento de Valencia abrió doce huertos urbanos en los barrios del sur. Los vecinos "
          "cultivan verduras y los mayores enseñan a los niños; la ciudad paga el agua y las semillas para todos.",
    "it": "Il comune di Bologna ha aperto una scuola di quartiere per gli adulti che non hanno finito gli studi. "
          "Le lezioni sono gratuite e si tengono nel centro civico della città, con l'aiuto dei volontari.",
    "pt": "A câmara municipal de Lisboa abriu uma horta comunitária no bairro da Mouraria. Os moradores cultivam "
          "legumes e as escolas do bairro trazem os alunos para aprender com os mais velhos que lá trabalham.",
    "de": "Die Stadt Leipzig hat im Jahr 2020 einen Bürgerhaushalt eingeführt. Die Einwohner schlagen Projekte "
          "vor und stimmen darüber ab, welche davon die Verwaltung mit dem Geld der Stadt umsetzen wird.",
    "nl": "De gemeente Utrecht heeft in de wijk Overvecht een buurthuis geopend waar bewoners samen koken. "
          "Het project wordt door vrijwilligers geleid en is voor iedereen in de buurt gratis toegankelijk.",
    "pl": "Rada miasta w Gdańsku przyjęła program, który wspiera rady dzielnic. Mieszkańcy sami decydują o tym, "
          "na co zostaną wydane pieniądze, a urząd pomaga im w przygotowaniu projektów i jest z nimi w kontakcie.",
    "sv": "Staden Malmö har öppnat ett bibliotek för barn och unga i stadsdelen Rosengård. Det drivs av kommunen "
          "tillsammans med föreningar som har arbetat i området i många år, och det är öppet varje dag.",
    "cs": "Město Brno otevřelo v centru komunitní zahradu, kterou spravují sami obyvatelé. Je to první projekt "
          "svého druhu ve městě a radnice ho podporuje jako součást programu pro zapojení lidí do života čtvrti.",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_running_text_is_told_by_its_commonest_words(lang):
    assert identify_language(SAMPLES[lang]) == lang


def test_foreign_names_in_english_text_leave_it_english():
    text = ("In Lyon, the Jardins de la Guillotière and the Maison des Passages were cited by the mayor as examples "
            "of what the programme de la Ville could do for the residents of the district and the city as a whole.")
    assert identify_language(text) == "en"


def test_too_little_text_is_not_guessed():
    assert identify_language("Huertos urbanos en Valencia") is None
    assert identify_language("Table 3. Population 2019 2020 2021 Valencia Lyon Gdańsk Malmö") is None


def test_a_first_person_english_note_is_english():
    # Polish "i", "do", "to" are English words too. Undecided (None) reads as English, the default.
    text = ("I came to Malmö in 2015. Now I do volunteer work at a kitchen twice a week. I cook, I clean, I talk "
            "to people and I listen to them. I do it because I like it, and I think I help.")
    assert identify_language(text) in ("en", None)
