"""What the commands print: JSON records."""

from __future__ import annotations

from typing import Any

from assistant.model import Hit


def hit_json(rank: int, hit: Hit) -> dict[str, Any]:
    p = hit.passage
    return {
        "rank": rank,
        "doc_id": p.doc_id,
        "title": hit.document.title if hit.document else p.doc_id,
        "page": p.page,
        "page_label": p.page_label,
        "section": p.section,
        "rows": p.rows,
        "text": p.text,
        "score": round(hit.score, 6),
        "scores": {k: round(v, 6) for k, v in hit.scores.items()},
    }
