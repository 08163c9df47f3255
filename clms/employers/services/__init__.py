"""Writes to employers, craft villages, commitments, inspections and violations, by area.

Views change data only through these functions.  Every function checks that the user may
write in the commune concerned, validates, and writes in one transaction.  This package names
them all (``from clms.employers import services``; ``services.inspection_record``).
"""

from clms.employers.services.commitments import (
    commitment_document_check,
    commitment_record,
)
from clms.employers.services.common import (
    WRITER_ROLES,
    apply_fields,
    check_place,
    check_write,
    today,
)
from clms.employers.services.denominators import (
    denominators_derive,
)
from clms.employers.services.inspections import (
    OBSERVATION_FIELDS,
    DuplicateCandidate,
    DuplicateSuspected,
    child_duplicates,
    found_child_open_case,
    inspection_add_child,
    inspection_record,
    inspection_update_findings,
    offender_type_for,
    violations_propose,
)
from clms.employers.services.registry import (
    craft_village_create,
    craft_village_update,
    employer_create,
    employer_update,
    tax_code_clean,
)
from clms.employers.services.violations import (
    violation_confirm,
    violation_dismiss,
    violation_penalise,
    violation_remedy,
)

__all__ = [
    "DuplicateCandidate",
    "DuplicateSuspected",
    "OBSERVATION_FIELDS",
    "WRITER_ROLES",
    "apply_fields",
    "check_place",
    "check_write",
    "child_duplicates",
    "commitment_document_check",
    "commitment_record",
    "craft_village_create",
    "craft_village_update",
    "denominators_derive",
    "employer_create",
    "employer_update",
    "found_child_open_case",
    "inspection_add_child",
    "inspection_record",
    "inspection_update_findings",
    "offender_type_for",
    "tax_code_clean",
    "today",
    "violation_confirm",
    "violation_dismiss",
    "violation_penalise",
    "violation_remedy",
    "violations_propose",
]
