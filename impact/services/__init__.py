"""Every write in the impact app, one module per subject: `returns` (impact returns from companies), `benefits`
(benefits from sponsors) and `assumptions` (the additionality assumptions). Contracts and payments are written by
`ledger.services`. Import from the module."""
