"""The embedded frameworks are offered as labelled examples, named by their real origin."""

from __future__ import annotations

from parapp.services.defaults import EXAMPLE_LABELS, default_framework_files, example_label
from parapp.services.importing import read_framework_file


def test_every_embedded_framework_is_a_labelled_example_of_its_real_origin() -> None:
    frameworks = [read_framework_file(p) for p in default_framework_files()]
    assert sorted(fw.id for fw in frameworks) == sorted(EXAMPLE_LABELS)
    for fw in frameworks:
        label = example_label(fw.id)
        assert label is not None and label.startswith("Ví dụ: ")
        # the province and the year named are the ones of the document it comes from
        province = label.rsplit(", ", 1)[1].rsplit(" ", 1)[0]
        assert province in fw.decision, (label, fw.decision)
        assert str(fw.year) in label
        assert "cấp tỉnh" in label and fw.level == "province"
    assert example_label("dn-xa-2026") is None
