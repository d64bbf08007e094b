"""Open data (issue 16): feeds, the IATI export, the datasets' bulk files with their data
dictionary, the Frictionless Data Package and the DCAT-AP catalogue. It brings every app
together, so it lives in the project package."""
