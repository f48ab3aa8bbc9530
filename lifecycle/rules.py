"""What each retention period means: its default, its unit, the legal reason, and what happens
when it ends. One table, read by the settings page, the forecast page and the job."""

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta

from lifecycle.models import RecordType


@dataclass(frozen=True)
class Rule:
    default: int
    unit: str  # "months" or "days"
    reason: str
    what_happens: str

    def cutoff(self, period: int, now: datetime) -> datetime:
        if self.unit == "days":
            return now - relativedelta(days=period)
        return now - relativedelta(months=period)


RULES: dict[str, Rule] = {
    RecordType.FEEDBACK_RESPONSES: Rule(
        24,
        "months",
        "UK GDPR article 5(1)(e), storage limitation: names and contact details are needed to "
        "follow up feedback, not to count it. Two years covers the reports that use it.",
        "The response stays, so counts do not change; the name, contact details and the link "
        "to the young person's record are removed.",
    ),
    RecordType.WRITTEN_ANSWERS: Rule(
        24,
        "months",
        "UK GDPR article 5(1)(c) and (e): written answers can identify a child. Two years "
        "covers the quarterly and annual reports that quote them.",
        "The answer stays with its themes, so theme counts do not change; the words are "
        "removed. Answers on a safeguarding alert follow the safeguarding period instead.",
    ),
    RecordType.SAFEGUARDING: Rule(
        120,
        "months",
        "Working Together to Safeguard Children 2023 and the IRMS retention guidelines for "
        "local authorities: safeguarding concerns and what was done can be needed many years "
        "later, so they are kept much longer than other feedback.",
        "The alert stays, so alert counts do not change; what was done, the answers' words, "
        "the name and contact details on the response are removed.",
    ),
    RecordType.YOUNG_PEOPLE: Rule(
        36,
        "months",
        "UK GDPR article 5(1)(e): a participation record is needed while a young person takes "
        "part. Counted from their last contact: an activity, a forum meeting, a named response "
        "or the end of a forum membership. Current forum members are never removed.",
        "The record is anonymised (name, reference, date of birth, contact and consent notes, "
        "and their name in linked written text); what they took part in stays, so reach "
        "figures do not change.",
    ),
    RecordType.AUDIT: Rule(
        72,
        "months",
        "Limitation Act 1980: six years covers most claims someone might need the trail for.",
        "The audit entries are deleted.",
    ),
    RecordType.REPORT_FILES: Rule(
        72,
        "months",
        "Local government records guidance: committee and board papers are kept six years. "
        "Final reports keep their frozen figures; only the PDF file goes.",
        "The PDF file is deleted; the report, its words and its frozen figures stay, so it "
        "can be made again.",
    ),
    RecordType.TASK_RESULTS: Rule(
        7,
        "days",
        "UK GDPR article 5(1)(f), security: a subject access export holds everything about a "
        "child. It should not wait on the server after it has been handed over.",
        "The export file is deleted.",
    ),
}
assert set(RULES) == set(RecordType.values), "every record type needs a rule"
