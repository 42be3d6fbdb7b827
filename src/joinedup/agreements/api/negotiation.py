"""Agreements API, negotiation: comments, positions and signatures on a version, through the same services as
the proposal page (agreements.services). Signing is by hash: the client sends the `content_hash` of the version
it read; if the version has changed since, nothing is signed and the answer is 409.

A version the caller may not see answers 404. Commenting needs AGREEMENT_PROPOSE; a position, speaking for the
organisation (ORGANISATION_REPRESENT); signing, being its signatory (AGREEMENT_SIGN): 403 otherwise, and always for
a read-only token. What the services refuse (a version not open to comments, a closed proposal) answers 409 when
it is the version's state, 422 when it is what was sent."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from joinedup.agreements import presenters, selectors, services
from joinedup.agreements.api.read import version_or_404
from joinedup.agreements.models import AgreementVersion, Comment
from joinedup.agreements.schemas import (
    CommentIn,
    CommentOut,
    PositionIn,
    PositionOut,
    SignatureOut,
    SignedOut,
    SignIn,
)
from joinedup.core.api_pages import CursorPagination
from joinedup.core.api_rules import Problem, ProblemError, body_schema, read_body, refusal
from joinedup.core.permissions import Permission, has_permission, permission_declared

router = Router(tags=["agreements"])


def _refused(exc: ValidationError | PermissionDenied) -> ProblemError:
    """A field-less refusal is about the version's state (409); a refusal naming fields, about what was sent."""
    if isinstance(exc, ValidationError) and not hasattr(exc, "error_dict"):
        return refusal(exc, status=409)
    return refusal(exc)


def _comment_out(c: Comment) -> CommentOut:
    return CommentOut(
        id=c.pk,
        clause_id=c.clause_id,
        parent_id=c.parent_id,
        author=c.author.full_name,
        organisation_id=c.organisation_id,
        text=c.text,
        created_at=c.created_at,
    )


@router.get("/agreements/{agreement_id}/versions/{number}/comments", response=list[CommentOut])
@paginate(CursorPagination)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_comments(request: HttpRequest, agreement_id: int, number: int) -> Any:
    """The version's comments, oldest first; a reply names the comment it answers (`parent_id`)."""
    version = version_or_404(request, agreement_id, number)
    threads = selectors.comment_threads(version=version)
    out: list[CommentOut] = []

    def walk(nodes: list[selectors.CommentThread]) -> None:
        for node in nodes:
            out.append(_comment_out(node.comment))
            walk(node.replies)

    for nodes in threads.values():
        walk(nodes)
    return out


def _may(request: HttpRequest, perm: Permission, version: AgreementVersion) -> None:
    if not has_permission(request.user, perm, version.agreement.partnership):
        raise ProblemError(403, "Your account may not do this in this partnership.")


@router.post(
    "/agreements/{agreement_id}/versions/{number}/comments",
    response={201: CommentOut, 409: Problem},
    openapi_extra=body_schema(CommentIn),
)
@permission_declared(Permission.AGREEMENT_PROPOSE)
def add_comment(request: HttpRequest, agreement_id: int, number: int) -> Any:
    """Comment on a draft or proposed version, on one clause or the whole, or reply to a comment (409 once the
    version is no longer open to comments)."""
    version = version_or_404(request, agreement_id, number)
    _may(request, Permission.AGREEMENT_PROPOSE, version)
    body = read_body(request, CommentIn)
    clause = version.clauses.filter(pk=body.clause_id).first() if body.clause_id else None
    if body.clause_id and clause is None:
        raise ProblemError(422, "No such clause in this version.", invalid_params=[("clause_id", "unknown")])
    parent = Comment.objects.filter(version=version, pk=body.parent_id).first() if body.parent_id else None
    if body.parent_id and parent is None:
        raise ProblemError(422, "No such comment on this version.", invalid_params=[("parent_id", "unknown")])
    represented = presenters.represented_organisations(
        user=request.user, partnership=version.agreement.partnership
    )
    try:
        comment = services.comment_add(
            by=request.user,  # type: ignore[arg-type]
            version=version,
            text=body.text,
            clause=clause,
            parent=parent,
            organisation=represented[0] if represented else None,
        )
    except (ValidationError, PermissionDenied) as exc:
        raise _refused(exc) from None
    return Status(201, _comment_out(Comment.objects.select_related("author").get(pk=comment.pk)))


def _position_out(p: Any) -> PositionOut:
    return PositionOut(
        id=p.pk,
        organisation_id=p.organisation_id,
        organisation=p.organisation.name,
        position=p.position,
        reason=p.reason,
        recorded_at=p.recorded_at,
    )


@router.get("/agreements/{agreement_id}/versions/{number}/positions", response=list[PositionOut])
@paginate(CursorPagination)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_positions(request: HttpRequest, agreement_id: int, number: int) -> Any:
    """Each member organisation's recorded position on a proposal (support, object with a reason, abstain)."""
    version = version_or_404(request, agreement_id, number)
    return [_position_out(p) for p in version.positions.all()]


def _mine(request: HttpRequest, version: AgreementVersion, *, signs: bool) -> list[Any]:
    """The organisations the caller signs (or speaks) for here; 403 before the body is read if none."""
    partnership = version.agreement.partnership
    mine = (
        presenters.signatory_organisations(user=request.user, partnership=partnership)
        if signs
        else presenters.represented_organisations(user=request.user, partnership=partnership)
    )
    if not mine:
        what = "sign" if signs else "speak"
        raise ProblemError(403, f"You do not {what} for any organisation in this partnership.")
    return mine


def _organisation(mine: list[Any], pk: int, *, signs: bool) -> Any:
    found = next((o for o in mine if o.pk == pk), None)
    if found is None:
        what = "sign" if signs else "speak"
        raise ProblemError(403, f"You do not {what} for that organisation in this partnership.")
    return found


@router.post(
    "/agreements/{agreement_id}/versions/{number}/positions",
    response={201: PositionOut, 409: Problem},
    openapi_extra=body_schema(PositionIn),
)
@permission_declared(Permission.ORGANISATION_REPRESENT)
def record_position(request: HttpRequest, agreement_id: int, number: int) -> Any:
    """Record your organisation's position on a proposal; a second one replaces the first (409 unless the version
    is proposed)."""
    version = version_or_404(request, agreement_id, number)
    _may(request, Permission.AGREEMENT_PROPOSE, version)
    mine = _mine(request, version, signs=False)
    body = read_body(request, PositionIn)
    organisation = _organisation(mine, body.organisation_id, signs=False)
    try:
        position = services.position_record(
            by=request.user,  # type: ignore[arg-type]
            version=version,
            organisation=organisation,
            position=body.position,
            reason=body.reason,
        )
    except (ValidationError, PermissionDenied) as exc:
        raise _refused(exc) from None
    return Status(201, _position_out(position))


def _signature_out(s: Any) -> SignatureOut:
    return SignatureOut(
        id=s.pk,
        organisation_id=s.organisation_id,
        organisation=s.organisation.name,
        signed_at=s.signed_at,
        content_hash=s.content_hash,
    )


@router.get("/agreements/{agreement_id}/versions/{number}/signatures", response=list[SignatureOut])
@paginate(CursorPagination)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_signatures(request: HttpRequest, agreement_id: int, number: int) -> Any:
    """Who has signed the version, for which organisation, when, and the hash each signed."""
    version = version_or_404(request, agreement_id, number)
    return [_signature_out(s) for s in version.signatures.all()]


@router.post(
    "/agreements/{agreement_id}/versions/{number}/signatures",
    response={201: SignedOut, 409: Problem},
    openapi_extra=body_schema(SignIn),
)
@permission_declared(Permission.AGREEMENT_SIGN)
def sign_version(request: HttpRequest, agreement_id: int, number: int) -> Any:
    """Sign the version for your organisation by its hash. 409 when the hash is not the version's (it changed
    since you read it: read it again), when the version cannot be signed (a draft, withdrawn, superseded) or
    when your organisation has signed it already. The last member's signature brings it into force."""
    version = version_or_404(request, agreement_id, number)
    mine = _mine(request, version, signs=True)
    body = read_body(request, SignIn)
    organisation = _organisation(mine, body.organisation_id, signs=True)
    try:
        signature = services.version_sign(
            by=request.user,  # type: ignore[arg-type]
            version=version,
            organisation=organisation,
            content_hash=body.content_hash,
        )
    except ValidationError as exc:
        raise refusal(exc, status=409) from None
    except PermissionDenied as exc:
        raise refusal(exc) from None
    signature.organisation = organisation
    return Status(201, SignedOut(signature=_signature_out(signature), version_status=version.status))
