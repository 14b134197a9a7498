"""Infusion-therapy competency quizzes: the application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from quizapp.config import load_config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(load_config(app.instance_path, config))
    _ensure_instance_folder(app)
    _trust_proxies(app)
    register_extensions(app)
    register_converters(app)
    register_blueprints(app)
    register_commands(app)
    register_error_handlers(app)
    register_security(app)
    register_templating(app)
    register_request_limits(app)
    register_arrival_stamp(app)
    return app


def _ensure_instance_folder(app: Flask) -> None:
    import os

    os.makedirs(app.instance_path, exist_ok=True)


def _trust_proxies(app: Flask) -> None:
    """Behind N trusted proxies the client address is the Nth from the right in
    X-Forwarded-For (sign-in limits and the audit need the real one); with 0 the headers are
    ignored, since anyone can send them."""
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Flask's documented way to add WSGI middleware; mypy sees wsgi_app as a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    from quizapp import models  # noqa: F401  (models must be imported before migrations run)
    from quizapp.auth.session import configure_login
    from quizapp.database import configure_engine
    from quizapp.extensions import csrf, db, migrate
    from quizapp.passwords import configure as configure_hashing

    db.init_app(app)
    configure_hashing(
        app.config["ARGON2_TIME_COST"],
        app.config["ARGON2_MEMORY_KIB"],
        app.config["ARGON2_PARALLELISM"],
    )
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    configure_login(app)
    configure_engine(app)


def register_converters(app: Flask) -> None:
    from quizapp.converters import register as register_id_converters

    register_id_converters(app)


def register_blueprints(app: Flask) -> None:
    from quizapp.admin.routes import bp as admin_bp
    from quizapp.auth.routes import bp as auth_bp
    from quizapp.health.routes import bp as health_bp
    from quizapp.instructor import bp as instructor_bp
    from quizapp.manager.routes import bp as manager_bp
    from quizapp.media.routes import bp as media_bp
    from quizapp.public.routes import bp as public_bp
    from quizapp.sources.routes import bp as sources_bp
    from quizapp.trainee.routes import bp as trainee_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(trainee_bp)
    app.register_blueprint(sources_bp)
    app.register_blueprint(instructor_bp)
    app.register_blueprint(manager_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(media_bp)


def register_commands(app: Flask) -> None:
    from quizapp.cli import register

    register(app)


def register_security(app: Flask) -> None:
    from quizapp.security import register as register_security_hooks

    register_security_hooks(app)


def register_templating(app: Flask) -> None:
    from quizapp.templating import register as register_filters

    register_filters(app)


def register_request_limits(app: Flask) -> None:
    from quizapp.request_limits import register as register_limits

    register_limits(app)


def register_arrival_stamp(app: Flask) -> None:
    from quizapp.arrival import register as register_arrival

    register_arrival(app)


def register_error_handlers(app: Flask) -> None:
    from quizapp.errors import register as register_errors

    register_errors(app)
