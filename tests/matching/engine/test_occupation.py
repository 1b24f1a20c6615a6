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


def test_the_head_word_is_the_last_word_before_a_comma_a_bracket_or_a_preposition():
    from matching.engine.occupation import head_word

    assert head_word("Lärare i matematik") == "lärare"
    assert head_word("Undersköterska, hemtjänst") == "undersköterska"
    assert head_word("Key account manager") == "manager"
    assert head_word("HR-koordinator (vikariat)") == "koordinator"
    assert head_word("Head of anti money laundering") == "head"


def test_the_title_memory_splits_an_unseen_compound_by_the_known_head_it_ends_with():
    from matching.engine.occupation import MEMORY_FEATURES, TitleMemory
    from matching.engine.taxonomy import JobTitle, Occupation

    names = [Occupation("a", "Personbilsmekaniker", "7231"), Occupation("b", "Lagerarbetare", "9333"),
             Occupation("c", "Restaurangbiträde", "9412")]
    titles = [JobTitle("t1", "Lastbilsmekaniker", ("7231",)), JobTitle("t2", "Truckmekaniker", ("7231",)),
              JobTitle("t3", "Skogsarbetare", ("6210",))]
    memory = TitleMemory(["6210", "7231", "9333", "9412"], names, titles, None)
    share = memory.head_share("Bilmekaniker")
    assert share.argmax() == 1 and share[1] > 0.5
    features = memory.features(["Bilmekaniker"], ["bilmekaniker"], None)[0]
    assert features[:, MEMORY_FEATURES.index("title_char")].argmax() == 1
    assert features[:, MEMORY_FEATURES.index("neighbour_vote")].argmax() == 1
    assert memory.head_share("Xyz").sum() == 0


def test_holding_out_a_name_also_drops_job_titles_that_equal_it(mini_data_dir):
    taxonomy = load_taxonomy(mini_data_dir)
    title = next(t for t in taxonomy.job_titles if t.title == "Skötare inom psykiatrisk vård")
    name = next(o for o in taxonomy.occupations if o.label == "Skötare (inom psykiatrisk vård)")
    other = next(t for t in taxonomy.job_titles if t.title == "Nattundersköterska")
    held = taxonomy.holding_out({name.id})
    assert title not in held.job_titles and other in held.job_titles
    assert other not in taxonomy.without_job_titles({other.id}).job_titles
    assert all(c in taxonomy.groups for t in taxonomy.job_titles for c in t.ssyk4)


def test_a_known_job_title_and_an_unseen_compound_of_its_head_are_coded_to_the_heads_groups(matcher):
    [night, evening] = matcher.code_occupation(["Nattundersköterska", "Kvällsundersköterska"], top_k=2)
    assert {c.ssyk4 for c in night} <= {"5321", "5323"}
    assert evening[0].ssyk4 in {"5321", "5323"}
