"""The read-only public API (`/api/v1/`): the published records of every dataset, with the
data dictionary's columns (codes and labels), the listings' filters, cursor pagination and
`modified_since`."""
