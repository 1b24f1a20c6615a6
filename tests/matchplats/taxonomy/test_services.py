import shutil

import pytest
from django.conf import settings

from matchplats.taxonomy.models import (
    Kommun,
    Lan,
    OccupationField,
    OccupationName,
    SeqfLevel,
    Skill,
    SsykGroup,
    SunField,
    SunLevel,
)
from matchplats.taxonomy.services import TaxonomyFileError, taxonomy_load

pytestmark = pytest.mark.django_db


def test_loaded_taxonomy_has_every_table_with_the_published_counts(taxonomy):
    assert SsykGroup.objects.filter(level=4).count() == 400
    assert [SsykGroup.objects.filter(level=level).count() for level in (1, 2, 3)] == [10, 46, 147]
    assert Kommun.objects.count() == 290
    assert Lan.objects.count() == 21
    assert OccupationName.objects.count() == 2412
    assert OccupationField.objects.count() == 21
    assert Skill.objects.count() == 6657 + 15  # the JobTech skills and the driving licence classes
    assert SsykGroup.skills.through.objects.count() == 17517 + 15
    assert SunField.objects.filter(level__lte=4).count() == 531
    assert SunField.objects.filter(level=5).count() == 231
    assert SunLevel.objects.count() == 71
    assert list(SeqfLevel.objects.values_list("level", flat=True)) == list(range(1, 9))


def test_loaded_taxonomy_links_codes_as_published(taxonomy):
    assert Kommun.objects.get(code="1780").label == "Karlstad"
    assert Kommun.objects.get(code="1780").lan.code == "17"
    undersköterska = OccupationName.objects.get(concept_id="bSEB_VKd_Ub3")
    assert undersköterska.ssyk4.code == "5321"
    assert undersköterska.ssyk4.parent.code == "532"
    assert undersköterska.ssyk4.occupation_field is not None
    assert SunField.objects.get(code="481ab").parent.code == "481a"


def test_loading_twice_changes_nothing(taxonomy):
    report = taxonomy_load(data_dir=settings.TAXONOMY_DATA_DIR)
    assert not report.changed
    assert sum(report.created.values()) == sum(report.updated.values()) == 0


def _copy_of_data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(settings.TAXONOMY_DATA_DIR, target)
    return target


def test_loading_after_a_label_changed_updates_that_label_only(taxonomy, tmp_path):
    data = _copy_of_data(tmp_path)
    path = data / "taxonomy/municipalities.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",Karlstad,", ",Karlstads kommun,"), encoding="utf-8")
    report = taxonomy_load(data_dir=data)
    assert report.updated["kommun"] == 1
    assert sum(report.updated.values()) == 1 and sum(report.created.values()) == 0
    assert Kommun.objects.get(code="1780").label == "Karlstads kommun"


def test_a_file_without_a_required_column_is_rejected_and_nothing_is_written(taxonomy, tmp_path):
    data = _copy_of_data(tmp_path)
    municipalities = data / "taxonomy/municipalities.csv"
    municipalities.write_text(
        municipalities.read_text(encoding="utf-8").replace(",Karlstad,", ",Karlstads kommun,"), encoding="utf-8"
    )
    levels = data / "taxonomy/sun2020_education_levels.csv"
    levels.write_text(levels.read_text(encoding="utf-8").replace("sun_level_code", "code", 1), encoding="utf-8")
    with pytest.raises(TaxonomyFileError, match=r"sun2020_education_levels.csv lacks the columns \['sun_level_code'\]"):
        taxonomy_load(data_dir=data)
    assert Kommun.objects.get(code="1780").label == "Karlstad"


def test_load_taxonomy_command_reports_counts_and_an_up_to_date_second_run(taxonomy, capsys):
    from django.core.management import call_command

    call_command("load_taxonomy")
    out = capsys.readouterr().out
    assert "kommun" in out and "Taxonomy is up to date." in out


def test_driving_licence_classes_are_skills_found_by_search_and_offered_for_drivers(taxonomy):
    from matchplats.taxonomy.selectors import skills_for_ssyk4, skills_search

    assert {"B-körkort (personbil)", "CE-körkort (tung lastbil med släp)"} <= {s.label for s in skills_search("körkort")}
    assert [s.label for s in skills_search("B-körkort")][:1] == ["B-körkort (personbil)"]
    truck_driver = SsykGroup.objects.get(code="8332", level=4)
    assert {"C-körkort (tung lastbil)", "CE-körkort (tung lastbil med släp)"} <= {
        s.label for s in skills_for_ssyk4(truck_driver)}
