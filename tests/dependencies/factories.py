import factory

from dependencies.models import Component, Domain, LegalEntity, Product


def domain(code: str = "D02") -> Domain:
    return Domain.objects.get(code=code)  # loaded after migrate from dependencies/data/domains.yaml


class LegalEntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalEntity

    key = factory.Sequence(lambda n: f"entity-{n}")
    name = factory.Sequence(lambda n: f"Éditeur {n}")
    country = "FR"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    key = factory.Sequence(lambda n: f"product-{n}")
    name = factory.Sequence(lambda n: f"Logiciel {n}")
    publisher = factory.SubFactory(LegalEntityFactory)
    licence_model = Product.LicenceModel.PROPRIETARY


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Component

    organisation = factory.SubFactory("tests.nis2.factories.OrganisationFactory")
    name = factory.Sequence(lambda n: f"Composant-{n:05d}")
    domain = factory.LazyFunction(domain)
    product = factory.SubFactory(ProductFactory)
    deployment = "vendor_saas"
    criticality = 3
    annual_cost_eur = 12_000
