"""Search backends: one interface (`base.Backend`), two implementations.

`database.DatabaseBackend` always holds every public document (it is the fallback), and
`elastic.ElasticsearchBackend` is used in front of it when `ELASTICSEARCH_URL` is set.
"""
