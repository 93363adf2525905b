"""refkit: read references from documents, verify DOIs against Crossref,
export BibTeX, RIS and CSL-JSON with notes."""

__version__ = "0.1.0"
