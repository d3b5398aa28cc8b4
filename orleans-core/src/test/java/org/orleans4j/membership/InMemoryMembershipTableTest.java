package org.orleans4j.membership;

class InMemoryMembershipTableTest extends MembershipTableContractTest {

    @Override
    protected MembershipTable newTable() {
        return new InMemoryMembershipTable();
    }
}
