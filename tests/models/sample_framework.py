"""A small but complete framework used by model, storage and service tests."""

from parapp.models.framework import Criterion, Framework, Guidance
from parapp.models.scoring import RuleKind, ScoringRule, parse_bands

BANDS = parse_bands(">=100% → 1; >=80% → 0,5; còn lại → 0")


def sample_framework(fw_id: str = "mau-2026") -> Framework:
    return Framework(
        id=fw_id,
        name="Bộ chỉ số mẫu",
        index_kind="PAR",
        year=2026,
        score_step=0.25,
        criteria=(
            Criterion("1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 4, None, 0),
            Criterion("1.1", "Kế hoạch CCHC", 2, "1", 1),
            Criterion(
                "1.1.1",
                "Ban hành kế hoạch CCHC",
                1,
                "1.1",
                2,
                ScoringRule(RuleKind.YES_NO),
                Guidance(evidence="Quyết định ban hành kế hoạch", target="Trước 31/12"),
            ),
            Criterion(
                "1.1.2",
                "Mức độ hoàn thành kế hoạch CCHC",
                1,
                "1.1",
                3,
                ScoringRule(RuleKind.BANDS, *BANDS),
            ),
            Criterion("1.2", "Công tác tuyên truyền CCHC", 2, "1", 4),
            Criterion("2", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 6, None, 5),
            Criterion(
                "2.1",
                "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
                3,
                "2",
                6,
                ScoringRule(
                    RuleKind.BANDS, parse_bands(">=98% → 3; >=90% → 1,5; còn lại → 0")[0], "%"
                ),
            ),
            Criterion(
                "2.2",
                "Sự hài lòng của người dân (qua điều tra XHH)",
                3,
                "2",
                7,
                ScoringRule(RuleKind.SURVEY),
            ),
        ),
    )
