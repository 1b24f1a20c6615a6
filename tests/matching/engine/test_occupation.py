from matching.engine.taxonomy import load_taxonomy


def test_coder_ranks_underskoterska_first_for_plural_need_text(matcher):
    [candidates] = matcher.code_occupation(["Vi söker 12 undersköterskor till hemtjänsten"])
    assert candidates[0].ssyk4 == "5321"
    assert "ndersköterska" in candidates[0].label
    assert candidates[0].occupation_id


def test_coder_codes_cnc_operator_text_to_the_machine_setter_group(matcher):
    [candidates] = matcher.code_occupation(["CNC-operatör fleroperationsmaskin"], top_k=3)
    assert candidates[0].ssyk4 == "7223"


def test_coder_returns_one_candidate_per_group_best_first_with_scores_in_unit_interval(matcher):
    [candidates] = matcher.code_occupation(["lärare i svenska som andraspråk"], top_k=10)
    codes = [c.ssyk4 for c in candidates]
    scores = [c.score for c in candidates]
    assert len(codes) == len(set(codes)) == 10
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert candidates[0].ssyk4.startswith("23")


def test_holding_out_names_removes_them_from_every_text_source(mini_data_dir):
    taxonomy = load_taxonomy(mini_data_dir)
    held = next(o for o in taxonomy.occupations if o.label == "Undersköterska, hemtjänst, äldreboende och habilitering")
    masked = taxonomy.holding_out({held.id})
    assert held.id not in {o.id for o in masked.occupations}
    assert held.id not in masked.descriptions
    texts = [g.label + g.definition for g in masked.groups.values()]
    texts += [s for skills in masked.skills.values() for s in skills]
    texts += [d for ds in masked.descriptions.values() for d in ds]
    assert not any(held.label.lower() in t.lower() for t in texts)


def test_a_text_that_is_an_occupation_name_is_coded_to_that_names_group(matcher, mini_data_dir):
    from matching.engine.taxonomy import load_taxonomy

    names = load_taxonomy(mini_data_dir).occupations
    coded = matcher.code_occupation([o.label for o in names], top_k=1)
    wrong = [(o.label, o.ssyk4, c[0].ssyk4) for o, c in zip(names, coded)
             if c[0].ssyk4 != o.ssyk4 and not _same_label_elsewhere(o, names)]
    assert wrong == []


def _same_label_elsewhere(occupation, names) -> bool:
    return any(o.label.lower() == occupation.label.lower() and o.ssyk4 != occupation.ssyk4 for o in names)


def test_the_head_of_several_names_puts_their_groups_first_with_non_increasing_scores(matcher):
    candidates = matcher.code_occupation(["Undersköterska"], top_k=4)[0]
    assert {c.ssyk4 for c in candidates[:2]} == {"5321", "5323"}
    scores = [c.score for c in candidates]
    assert scores == sorted(scores, reverse=True)
