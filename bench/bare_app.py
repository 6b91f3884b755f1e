"""The baseline: a bare Flask endpoint that does one INSERT into the same database."""

import os

from flask import Flask, request
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"], pool_size=10)
app = Flask(__name__)


@app.post("/insert")
def insert():
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO bench_bare (code) VALUES (:code)"), {"code": request.json["code"]})
    return {"ok": True}, 201
