"""The letters wing: from a work order and a tenant to the printed page.

The letter templates in a Jinja2 sandbox (`templates`), the values a template sees (`context`),
dates, times and phone numbers in the letter's language (`localize`), the plain-text part of an
email (`htmltext`), sample data for the template editor (`samples`), the PDF engine (`pdf`, which
lays letters out in worker processes), issuing a batch into the archive (`issuing`), the crew's
visit list (`crew_sheet`) and the lobby poster of building-wide work (`poster`). It imports the
records wing and the shared basics, nothing above.
"""
