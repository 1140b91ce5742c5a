"""The workspace pages. Every write goes through sprints.services; a refused permission is a 403 with its
reason and a refused business rule is put on the form, so nothing typed is lost."""
