"""Books by ISBN from Open Library's Books API.

`GET /api/books?bibkeys=ISBN:978…,ISBN:…&format=json&jscmd=data` answers an
object keyed by bibkey, each value `{title, subtitle, authors: [{name, url}],
publishers: [{name}], publish_places: [{name}], publish_date,
number_of_pages, identifiers: {isbn_10, isbn_13, …}, url, key}`; an ISBN
Open Library does not know is simply absent (shape as in the Books API
documentation, and nithinbekal/openlibrary's README).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from refkit.model import Work, WorkSource
from refkit.refparse import year_in
from refkit.resolving.sources.service import Record, Reply, Service, WrongShape, display_name



class OpenLibraryClient(Service):
    """Records of ISBNs (ISBN-13, as refkit.identifiers normalises them)."""

    name = "Open Library"
    url_setting = "isbn_url"
    limit, per, batch = 3, 1.0, 50

    def fetch(self, isbns: list[str]) -> dict[str, Record | None]:
        params = {"bibkeys": ",".join(f"ISBN:{i}" for i in isbns), "format": "json", "jscmd": "data"}
        books = self.parsed(self.get("/api/books", params), _books)
        return {isbn: books.get(f"ISBN:{isbn}") for isbn in isbns}

    def to_work(self, isbn: str, book: Record, fetched: datetime) -> Work:
        """One Open Library book as a Work holding a CSL item (type book)."""
        title = str(book.get("title") or "")
        if book.get("subtitle"):
            title = f"{title}: {book['subtitle']}"
        item: dict[str, Any] = {"id": f"isbn:{isbn}", "type": "book", "title": title, "ISBN": isbn}
        authors = [display_name(str(a.get("name") or "")) for a in book.get("authors") or []
                   if isinstance(a, dict) and a.get("name")]
        if authors:
            item["author"] = authors
        for key, target in (("publishers", "publisher"), ("publish_places", "publisher-place")):
            names = [str(p.get("name")) for p in book.get(key) or [] if isinstance(p, dict) and p.get("name")]
            if names:
                item[target] = names[0]
        year = year_in(str(book.get("publish_date") or ""))
        if year:
            item["issued"] = {"date-parts": [[year]]}
        if book.get("number_of_pages"):
            item["number-of-pages"] = str(book["number_of_pages"])
        if book.get("url"):
            item["URL"] = str(book["url"])
        return Work(item, source=WorkSource.REGISTRY, fetched=fetched, raw={"openlibrary": book},
                    service=self.service, agency=self.name)


def _books(reply: Reply) -> dict[str, Any]:
    body = reply.json()
    if reply.status != 200 or not isinstance(body, dict) or not all(
            isinstance(v, dict) for v in body.values()):
        raise WrongShape("not an object of books keyed by bibkey")
    return body
