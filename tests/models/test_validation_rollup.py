from dataclasses import replace

from parapp.models.assessment import Answer, AnswerStatus, EvidenceLink
from parapp.models.framework import Criterion, framework_from_dict, framework_to_dict
from parapp.models.rollup import ProblemKind, rollup
from parapp.models.scoring import Band, RuleKind, ScoringRule
from parapp.models.validation import framework_problems
from tests.models.sample_framework import sample_framework

EV = (EvidenceLink("a" * 64, "qd.pdf", 10),)


def test_sample_framework_is_valid_and_totals() -> None:
    fw = sample_framework()
    assert framework_problems(fw) == []
    assert fw.total_points == 10
    assert fw.assessable_points == 7  # 2.2 is survey-only
    assert [a.code for a in fw.areas] == ["1", "2"]
    assert [c.code for c in fw.leaves("1")] == ["1.1.1", "1.1.2", "1.2"]
    assert fw.area_of("1.1.2").code == "1"


def test_validation_finds_every_problem() -> None:
    fw = sample_framework()
    broken = replace(
        fw,
        criteria=(
            *fw.criteria,
            Criterion("1.2", "Trùng mã", 1, "1", 9),
            Criterion("3.1", "Không có cha", -1, "3", 10),
            Criterion(
                "2.3", "Thang điểm quá", 0, "2", 11, ScoringRule(RuleKind.BANDS, (Band(50, 2.0),))
            ),
        ),
    )
    problems = framework_problems(broken)
    text = "\n".join(problems)
    assert "Mã tiêu chí 1.2 bị trùng." in problems
    assert "Tiêu chí 3.1: không có tiêu chí cha 3." in problems
    assert "Tiêu chí 3.1: điểm tối đa âm (-1)." in problems
    assert "mức 2 điểm nằm ngoài 0..0" in text
    assert "Tiêu chí 1: điểm tối đa 4 khác tổng điểm các tiêu chí con 5." in problems


def test_content_hash_is_stable_and_content_sensitive() -> None:
    fw = sample_framework()
    again = framework_from_dict(framework_to_dict(fw))
    assert again == fw
    assert again.content_hash == fw.content_hash
    changed = replace(fw, name="Khác")
    assert changed.content_hash != fw.content_hash


def test_rollup_totals_status_and_problems() -> None:
    fw = sample_framework()
    answers = {
        "1.1.1": Answer("1.1.1", value=1, self_score=1, evidence=EV),
        "1.1.2": Answer("1.1.2", value=85, self_score=0.5, explanation="Còn 2 nhiệm vụ"),
        "2.1": Answer("2.1", value=99, self_score=1.5, evidence=EV),  # contradicts: 99% -> 3
    }
    r = rollup(fw, answers)
    assert r.total_score == 3.0
    assert r.assessable_max == 7
    assert r.index_percent == round(300 / 7, 2)
    assert (r.leaves, r.done) == (4, 3)
    assert r.nodes["1.1"].self_score == 1.5
    assert r.nodes["1.1.1"].status is AnswerStatus.COMPLETE
    assert r.nodes["1.1.2"].status is AnswerStatus.EVIDENCE_MISSING
    assert r.nodes["1.2"].status is AnswerStatus.NOT_STARTED
    assert r.nodes["2.1"].status is AnswerStatus.IN_PROGRESS  # below max, not explained
    assert r.nodes["2.2"].status is AnswerStatus.SURVEY
    assert r.nodes["1"].status is AnswerStatus.IN_PROGRESS
    kinds = {(p.code, p.kind) for p in r.problems}
    assert ("1.2", ProblemKind.NOT_STARTED) in kinds
    assert ("1.1.2", ProblemKind.NO_EVIDENCE) in kinds
    assert ("1.1.2", ProblemKind.NO_EXPLANATION) not in kinds  # explained
    assert ("2.1", ProblemKind.CONTRADICTION) in kinds
    assert ("2.1", ProblemKind.NO_EXPLANATION) in kinds  # below max, no explanation
    assert not any(p.code == "2.2" for p in r.problems)
    assert not any(p.blocking for p in r.problems)


def test_rollup_flags_score_over_max_as_blocking() -> None:
    r = rollup(sample_framework(), {"1.2": Answer("1.2", self_score=5, evidence=EV)})
    assert [p.kind for p in r.problems if p.blocking] == [ProblemKind.OVER_MAX]
