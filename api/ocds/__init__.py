"""Open Contracting Data Standard 1.1 publication: one contracting process per published challenge.

- `selectors.processes()` loads every published challenge with what its releases need (constant queries);
- `releases.releases_for(challenge, now)` turns one challenge into dated, tagged releases;
- `package.release_package()` / `package.record_package()` wrap them (records are merged with `merge.compile`).
"""
