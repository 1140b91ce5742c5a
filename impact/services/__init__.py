"""Every write in the impact app, one module per subject: `returns` (impact returns from companies),
`benefits` (benefits from sponsors) and `contracts` (contracts and payments). Import from the module."""
