"""Where each setting comes from: the config file and its profiles, `.env`, the environment and the flags.

`cybrid_tui.config` holds the `Settings` model and `load_settings`; the modules here find and read the layers
(`config_file`, `layers`), merge them with each value's source (`resolve`), fetch the client secret
(`secrets`), parse the `[keys]` table (`keymap`) and answer `cybrid-tui config path | show | profiles`
(`report`). Nothing here imports Textual.
"""
