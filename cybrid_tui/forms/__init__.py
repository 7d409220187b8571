"""The create-customer form's logic, apart from Textual: values, validators and the request builder.

`values` holds what the person typed as plain strings, `validators` says what is wrong with it (pure functions
that never raise), `builder` turns valid values into the exact `PostCustomer` body. The screen in
`cybrid_tui.screens.create_customer` only wires widgets to these.
"""
