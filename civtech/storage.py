from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; also rewrites ES-module `import` paths (site.js imports the
    design system), so every file gets a hashed name and long-lived cache headers."""

    support_js_module_import_aggregation = True
