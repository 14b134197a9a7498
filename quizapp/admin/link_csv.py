"""The new users' invitation links as a CSV file inside the page (a data: URL): the admin can
download them, and they are never stored on the server for a later request to fetch."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from urllib.parse import quote

from quizapp.csv_export import neutralise
from quizapp.services.invitations import IssuedLink
from quizapp.templating import local_dt

HEADER = ("email", "name", "link", "expires")


def links_csv(links: Sequence[IssuedLink]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for link in links:
        row = (link.email, link.name, link.url, local_dt(link.expires_at))
        writer.writerow([neutralise(v) for v in row])
    return buffer.getvalue()


def links_data_url(links: Sequence[IssuedLink]) -> str:
    return "data:text/csv;charset=utf-8," + quote(links_csv(links), safe="")
