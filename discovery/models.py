"""The database search table: one row per public document, whatever its source.

Rows are written only by `discovery.indexing` from the public facts `discovery.sources` extracts, so
nothing private can be found: there is nothing private here to find. The same table answers searches
when Elasticsearch is not configured, and when it is configured but down.

Full text lives beside the rows: on PostgreSQL in `search_vector` (GIN-indexed, migration 0002); on
SQLite in the FTS5 table `discovery_fts` whose rowid is the row's id.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

# The facet values of a challenge's status are computed from these stored round dates at query time
# (challenges.status.status_filter with prefix=""), so an index never holds a stale status.
STATUS_DATE_FIELDS = ("call_opens", "call_closes", "exploration_start", "accelerator_start", "accelerator_end")


class Kind(models.TextChoices):
    CHALLENGE = "challenge", "Challenges"
    SOLUTION = "solution", "Solutions"
    COMPANY = "company", "Companies"
    NEWS = "news", "News and case studies"


class FundingBand(models.TextChoices):
    UNDER_100K = "under-100k", "Under £100,000"
    TO_350K = "100k-350k", "£100,000 to £349,999"
    TO_500K = "350k-500k", "£350,000 to £499,999"
    OVER_500K = "500k-plus", "£500,000 or more"


class SearchDocument(models.Model):
    kind = models.CharField(max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=400)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Sector and sponsor names: searchable with the summary's weight.
    keywords = models.TextField(blank=True)
    url = models.CharField(max_length=500)

    sponsor_id = models.PositiveBigIntegerField(null=True, db_index=True)
    sponsor_name = models.CharField(max_length=200, blank=True)
    round_id = models.PositiveBigIntegerField(null=True, db_index=True)
    round_name = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=20, blank=True, db_index=True)
    funding = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    funding_band = models.CharField(max_length=12, choices=FundingBand.choices, blank=True, db_index=True)

    call_opens = models.DateTimeField(null=True)
    call_closes = models.DateTimeField(null=True)
    exploration_start = models.DateTimeField(null=True)
    accelerator_start = models.DateTimeField(null=True)
    accelerator_end = models.DateTimeField(null=True)
    stopped_at = models.DateTimeField(null=True)

    published_at = models.DateTimeField(null=True)
    # Public display extras (company website, "also used by", …), never searched.
    data = models.JSONField(default=dict, blank=True)
    # The distinct words this row added to the vocabulary, so an update or delete can take them back out.
    words = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_document")]
        indexes = [models.Index(fields=["kind", "call_opens"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


class SearchDocumentSector(models.Model):
    """A document's sectors, as rows so sector facets are a GROUP BY, not a scan of JSON."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="sectors")
    sector_id = models.PositiveBigIntegerField(db_index=True)
    name = models.CharField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "sector_id"], name="unique_search_sector")]

    def __str__(self) -> str:
        return self.name


class SearchTerm(models.Model):
    """The vocabulary of the indexed documents, for "did you mean" (trigram on PostgreSQL, edit distance elsewhere)."""

    term = models.CharField(max_length=40, unique=True)
    length = models.PositiveSmallIntegerField(db_index=True)
    documents = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.term
