# ruff: noqa: E501  (prose: one paragraph a line, as the admin edits it)
"""The privacy notice a council shows until it writes its own: plain words for children, and a
fuller version for adults. Paragraphs are separated by a blank line."""

from participation.models import Council

CHILDREN = """\
{council} uses Heard to keep track of how children and young people take part, and what you tell us.

When you fill in one of our forms, we keep your answers so we can see what is working and what needs to change. If you do not give your name, we do not know who you are.

If you give your name, or a worker helps you fill in a form, we keep your name with your answers. We only share it with the people at {council} who need it to help you.

If you tell us you do not feel safe, a person at {council} will read it and may get in touch to check you are OK. That is the only time we act on one person's answers.

We do not keep things for ever. Names and contact details on feedback are removed after two years. Your written answers are removed after two years too, unless they were about you being safe.

You can ask to see everything we hold about you, or ask us to remove your name. Ask your worker, or any member of staff, and they will help you.
"""

ADULTS = """\
{council} is the data controller for the information held in Heard, its system for recording children's participation, feedback and forum work.

What we hold: feedback from children, young people, parents and carers (anonymous unless a name is given); records of young people who take part in activities and forums, including equality information used only to check that participation reaches every group; safeguarding alerts raised by feedback and what was done about them.

Why: to meet the council's duties to hear children in decisions about them and the services they receive (UN Convention on the Rights of the Child article 12; Children Act 1989; Children and Families Act 2014 section 19). The lawful basis is public task (UK GDPR article 6(1)(e)); equality and safeguarding information is processed for reasons of substantial public interest (article 9(2)(g) and the Data Protection Act 2018, schedule 1).

Who sees it: only staff of {council} whose role needs it. Reports use figures, and small numbers are hidden so that no child can be identified.

How long: each kind of record is kept for a set period and then removed or anonymised automatically. The council's periods are set by its data protection lead.

Your rights: you can ask for a copy of everything held about a child or yourself (a subject access request), and ask for information to be corrected or erased. Contact the council's data protection officer. You can also complain to the Information Commissioner's Office (ico.org.uk).
"""


def default_notice(*, council: Council) -> dict:
    return {
        "for_children": CHILDREN.format(council=council.name),
        "for_adults": ADULTS.format(council=council.name),
    }
