"""Forms of the pages, one module per area (``events``, ``profiles``, ``projects``, …).

They parse and validate input; the services do the writing. ModelForms are used for their
labels, lengths and model ``clean()`` (so "give a title in French or English" shows next to
the right field), never for ``save()``: views pass ``cleaned_data`` to a service, and a
service's refusal goes back onto the form with ``frontend.errors.form_errors``.
"""
