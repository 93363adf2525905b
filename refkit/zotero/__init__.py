"""refkit as a Zotero plugin: push verified references (with their summaries
as child notes) into a Zotero library, and check and fix a library's DOIs.

- `config`: where the API key and library come from (never printed).
- `http`: one careful HTTP transport (Backoff, Retry-After, bounded retries,
  secrets scrubbed from every message).
- `webapi`: the Zotero Web API v3 (reads, batched writes, version checks).
- `localapi`: Zotero 7's read-only local API and the connector hand-off.
- `items`: Resolution -> Zotero item JSON and child notes; Zotero item -> Citation.
- `push`, `apply`: the two write workflows.
"""
