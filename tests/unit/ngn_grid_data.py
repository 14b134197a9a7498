"""Valid answer data for the NGN grid types (matrix, cloze, ordering), shared by their tests."""

from __future__ import annotations

MATRIX_SINGLE = {
    "mode": "single",
    "columns": ["Indicated", "Non-essential", "Contraindicated"],
    "rows": [
        {"text": "Stop the infusion", "correct": ["Indicated"], "feedback": "First action."},
        {"text": "Flush the cannula to test it", "correct": ["Contraindicated"]},
        {"text": "Elevate the limb", "correct": ["Indicated"]},
        {"text": "Change the dressing", "correct": ["Non-essential"]},
    ],
}
MATRIX_MULTIPLE = {
    "mode": "multiple",
    "columns": ["Infiltration", "Phlebitis", "Local infection"],
    "rows": [
        {"text": "Cool skin at the site", "correct": ["Infiltration"]},
        {"text": "Red streak along the vein", "correct": ["Phlebitis"]},
        {"text": "Pain at the site", "correct": ["Infiltration", "Phlebitis", "Local infection"]},
        {"text": "Pus at the insertion point", "correct": ["Local infection"]},
    ],
}
CLOZE = {
    "text": "The client is most likely experiencing {{1}}, as shown by {{2}}.",
    "blanks": [
        {
            "id": "1",
            "options": ["infiltration", "phlebitis", "circulatory overload", "local infection"],
            "correct": "infiltration",
        },
        {
            "id": "2",
            "options": ["cool, swollen skin", "a red streak", "crackles", "pus"],
            "correct": "cool, swollen skin",
        },
    ],
}
ORDERING = {
    "steps": [
        "Perform hand hygiene",
        "Check the order",
        "Identify the client",
        "Give the medication",
        "Document",
    ]
}
