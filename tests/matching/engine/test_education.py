def test_education_coder_proposes_the_trained_sun5_code_for_a_familiar_programme(matcher):
    [candidates] = matcher.code_education(
        ["Specialistundersköterska psykiatri"], ["Hälso- och sjukvård samt socialt arbete"]
    )
    assert candidates[0].sun_code == "723qb"
    assert candidates[0].label
    assert 0.0 <= candidates[0].score <= 1.0


def test_education_candidates_include_four_character_sun_fields_as_back_off(matcher):
    [candidates] = matcher.code_education(["Sjuksköterskeutbildning, grundutbildning"], top_k=50)
    codes = [c.sun_code for c in candidates]
    assert "723a" in codes
    assert all(len(code) in (4, 5) for code in codes)
