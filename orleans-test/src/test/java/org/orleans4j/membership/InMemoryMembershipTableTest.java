package org.orleans4j.membership;

import org.orleans4j.testing.tck.MembershipTableContractTest;

class InMemoryMembershipTableTest extends MembershipTableContractTest {

    @Override
    protected MembershipTable newTable() {
        return new InMemoryMembershipTable();
    }
}
