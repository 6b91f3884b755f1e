"""The pages, grouped by the workflow they serve; each folder holds its views and templates.

`tracker/web/` is the shell they live in: layout, sign-in, navigation, static assets.
"""
