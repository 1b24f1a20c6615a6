from matching.engine.purpose import programme_purpose, purpose_fit


def test_purpose_comes_from_the_sun_label_when_it_says_so():
    assert programme_purpose("Vård", sun_label="Vidareutbildningar för undersköterskor – äldreomsorg") == "further"
    assert programme_purpose("Vård", sun_label="Utbildningar till tandsköterska") == "into"
    assert programme_purpose("Vård", sun_label="Övriga utbildningar, inriktning sjukvård") is None


def test_a_name_for_specialists_or_further_education_is_further_education():
    for name in ("Specialistundersköterska äldreomsorg", "Fortbildning i ledarskap",
                 "Vidareutbildning för elektriker", "Påbyggnad CNC"):
        assert programme_purpose(name, sun_label="Utbildningar till X") == "further"
    assert programme_purpose("Barnspecialiserad undersköterska") is None


def test_a_validation_path_serves_both_purposes():
    assert programme_purpose("Validering undersköterska", kind="validation") == "both"


def test_purpose_fit_prefers_into_for_recruitment_and_further_for_upskilling():
    assert purpose_fit("recruitment", "into") > purpose_fit("recruitment", None) > purpose_fit("recruitment", "further")
    assert purpose_fit("upskilling", "further") > purpose_fit("upskilling", None) > purpose_fit("upskilling", "into")
    assert purpose_fit(None, "into") == purpose_fit(None, "further") == purpose_fit(None, None) == 1.0
